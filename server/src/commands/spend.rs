//! `baton spend`: the roll-up of what runs used, as a table or JSON; with
//! `--prices`, the price table in effect.

use super::Ctx;
use crate::cli::SpendArgs;
use crate::config::Config;
use crate::error::Result;
use crate::ops::spend::{parse_by, parse_since};
use crate::output::{self, Table};
use crate::prices::PRICES_AS_OF;
use kernel::spend::{format_tokens, SpendBy, SpendQuery};

fn prices(ctx: &Ctx, json: bool) -> Result<()> {
    let prices = Config::load(&ctx.home)?.prices();
    if json {
        let rows: Vec<serde_json::Value> = prices
            .entries()
            .map(|(model, p, from_config)| {
                serde_json::json!({
                    "model": model,
                    "input": p.input,
                    "output": p.output,
                    "cache_read": p.cache_read.unwrap_or(p.input),
                    "cache_write": p.cache_write.unwrap_or(p.input),
                    "from_config": from_config,
                })
            })
            .collect();
        output::json(
            &serde_json::json!({ "prices_as_of": PRICES_AS_OF, "per_million_tokens_usd": rows }),
        );
        return Ok(());
    }
    let mut t = Table::new(&[
        "MODEL",
        "INPUT",
        "OUTPUT",
        "CACHE READ",
        "CACHE WRITE",
        "FROM",
    ]);
    for (model, p, from_config) in prices.entries() {
        let usd = |v: f64| format!("${v}");
        t.row(vec![
            (model.to_string(), None),
            (usd(p.input), None),
            (usd(p.output), None),
            (usd(p.cache_read.unwrap_or(p.input)), None),
            (usd(p.cache_write.unwrap_or(p.input)), None),
            (
                if from_config {
                    "config.toml"
                } else {
                    "shipped"
                }
                .to_string(),
                None,
            ),
        ]);
    }
    t.print();
    println!(
        "US dollars per million tokens; shipped prices as of {PRICES_AS_OF}. Set your own with [prices.\"<model>\"] in config.toml."
    );
    Ok(())
}

pub fn spend(ctx: &Ctx, a: SpendArgs) -> Result<()> {
    if a.prices {
        return prices(ctx, a.json);
    }
    let by = parse_by(&a.by)?;
    let now = kernel::clock::system_now();
    let q = SpendQuery {
        since: a
            .since
            .as_deref()
            .map(|s| parse_since(s, now))
            .transpose()?,
        until: None,
        task: a.task.map(|t| t.trim().to_string()),
        profile: a.profile,
    };
    let board = if a.all_boards {
        Some("*")
    } else {
        ctx.board_arg()
    };
    let out = ctx.ops.spend(board, by, &q)?;
    if a.json {
        output::json(&out);
        return Ok(());
    }
    let key = match by {
        SpendBy::Task => "TASK",
        SpendBy::Profile => "PROFILE",
        SpendBy::Day => "DAY (UTC)",
        SpendBy::Model => "MODEL",
        SpendBy::Board => "BOARD",
        SpendBy::Total => "",
    };
    let mut t = Table::new(&[
        key,
        "RUNS",
        "INPUT",
        "OUTPUT",
        "CACHE READ",
        "CACHE WRITE",
        "COST",
    ]);
    let rows = if by == SpendBy::Total {
        vec![out.total.clone()]
    } else {
        out.rows.clone()
    };
    for r in &rows {
        let name = match &r.title {
            Some(title) => format!("{} {}", r.key, output::cell(title, 40)),
            None => r.key.clone(),
        };
        t.row(vec![
            (name, None),
            (r.runs.to_string(), None),
            (format_tokens(r.tokens.input_tokens), None),
            (format_tokens(r.tokens.output_tokens), None),
            (format_tokens(r.tokens.cache_read_tokens), None),
            (format_tokens(r.tokens.cache_write_tokens), None),
            (r.cost_text(), None),
        ]);
    }
    if by != SpendBy::Total && rows.len() > 1 {
        let total = &out.total;
        t.row(vec![
            ("total".into(), Some("1")),
            (total.runs.to_string(), Some("1")),
            (format_tokens(total.tokens.input_tokens), Some("1")),
            (format_tokens(total.tokens.output_tokens), Some("1")),
            (format_tokens(total.tokens.cache_read_tokens), Some("1")),
            (format_tokens(total.tokens.cache_write_tokens), Some("1")),
            (total.cost_text(), Some("1")),
        ]);
    }
    if out.total.runs == 0 {
        println!(
            "No usage recorded{}.",
            if q.since.is_some() {
                " in that time"
            } else {
                ""
            }
        );
    } else {
        t.print();
    }
    if out.total.unpriced_runs > 0 {
        println!(
            "{} run(s) have no price: their model is not in the price table (baton spend --prices).",
            out.total.unpriced_runs
        );
    }
    Ok(())
}
