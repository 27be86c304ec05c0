//! Reading the board: single tasks, listings, history, counts.

use crate::board::Board;
use crate::error::Result;
use crate::event::Event;
use crate::model::{Comment, Links, Run, Stats, Task, TaskDetail};
use crate::store::ListQuery;

impl Board {
    pub fn get(&mut self, id: &str) -> Result<Task> {
        self.read(|tx| tx.require_task(id))
    }

    /// The task with its links, comments, events and runs, from one snapshot.
    pub fn show(&mut self, id: &str) -> Result<TaskDetail> {
        self.read(|tx| {
            let task = tx.require_task(id)?;
            Ok(TaskDetail {
                links: tx.links_of(id)?,
                comments: tx.comments_of(id)?,
                events: tx.events_of(id)?,
                runs: tx.runs_of(id)?,
                task,
            })
        })
    }

    /// Tasks matching the filters, highest priority first, then oldest first.
    /// Archived tasks only when asked for (or filtered by status).
    pub fn list(&mut self, q: &ListQuery) -> Result<Vec<Task>> {
        self.read(|tx| tx.list_tasks(q))
    }

    pub fn links(&mut self, id: &str) -> Result<Links> {
        self.read(|tx| {
            tx.require_task(id)?;
            tx.links_of(id)
        })
    }

    pub fn runs(&mut self, id: &str) -> Result<Vec<Run>> {
        self.read(|tx| {
            tx.require_task(id)?;
            tx.runs_of(id)
        })
    }

    /// One run by id.
    pub fn run(&mut self, run_id: i64) -> Result<Option<Run>> {
        self.read(|tx| tx.run(run_id))
    }

    pub fn events(&mut self, id: &str) -> Result<Vec<Event>> {
        self.read(|tx| {
            tx.require_task(id)?;
            tx.events_of(id)
        })
    }

    pub fn comments(&mut self, id: &str) -> Result<Vec<Comment>> {
        self.read(|tx| {
            tx.require_task(id)?;
            tx.comments_of(id)
        })
    }

    /// Up to `limit` events after cursor `after`, oldest first.
    pub fn events_after(&mut self, after: i64, limit: usize) -> Result<Vec<Event>> {
        self.read(|tx| tx.events_after(after, limit))
    }

    pub fn latest_event_id(&mut self) -> Result<i64> {
        self.read(|tx| tx.latest_event_id())
    }

    /// The next `limit` tasks a dispatcher would claim, in claim order.
    pub fn next_ready(&mut self, limit: usize) -> Result<Vec<Task>> {
        self.read(|tx| tx.ready_queue(limit))
    }

    pub fn tenants(&mut self) -> Result<Vec<String>> {
        self.read(|tx| tx.tenants())
    }

    /// Counts per status and per assignee, and the age of the oldest ready task.
    pub fn stats(&mut self) -> Result<Stats> {
        self.read(|tx| {
            let now = tx.now();
            Ok(Stats {
                by_status: tx.count_by_status()?,
                by_assignee: tx.count_by_assignee()?,
                oldest_ready_age_seconds: tx.oldest_ready_created_at()?.map(|t| (now - t).max(0)),
                now,
            })
        })
    }
}
