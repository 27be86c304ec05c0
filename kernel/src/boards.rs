//! Several boards in one home: slugs, `board.json`, creating, renaming,
//! switching and removing.

use crate::board::Board;
use crate::clock::system_now;
use crate::error::{KernelError, Result};
use crate::home::{Home, DEFAULT_BOARD};
use crate::model::BoardMeta;
use std::path::{Path, PathBuf};

/// Lowercases and checks a board slug: 1–64 of `[a-z0-9_-]`, starting with a
/// letter or digit (so `_archived` can never be a board).
pub fn normalize_slug(raw: &str) -> Result<String> {
    let slug = raw.trim().to_lowercase();
    let ok = !slug.is_empty()
        && slug.len() <= 64
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && slug
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric());
    if ok {
        Ok(slug)
    } else {
        Err(KernelError::Invalid(format!(
            "invalid board slug '{}': use 1-64 characters of a-z, 0-9, '-' and '_', starting with a letter or digit",
            raw.escape_debug()
        )))
    }
}

/// `my-board_2` → `My Board 2`.
fn default_name(slug: &str) -> String {
    slug.split(['-', '_'])
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut c = p.chars();
            match c.next() {
                Some(first) => first.to_uppercase().collect::<String>() + c.as_str(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Metadata to set; `None` leaves a field alone. For `default_workdir`,
/// `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct BoardFields {
    pub name: Option<String>,
    pub description: Option<String>,
    pub icon: Option<String>,
    pub color: Option<String>,
    pub default_workdir: Option<Option<String>>,
}

/// What `remove_board` did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RemovedBoard {
    pub slug: String,
    /// `archived` or `deleted`.
    pub action: String,
    /// Where an archived board now lives; empty after a delete.
    pub new_path: String,
}

/// Writes through a temporary file in the same folder, flushed to disk
/// before it replaces `path`, so a crash leaves the old file or the new one,
/// never half of one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)
        .map_err(|e| KernelError::io(format!("cannot create {}", dir.display()), e))?;
    let tmp = dir.join(format!(
        ".{}.tmp{}",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("file"),
        std::process::id()
    ));
    let write = || -> std::io::Result<()> {
        use std::io::Write;
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()
    };
    write().map_err(|e| KernelError::io(format!("cannot write {}", tmp.display()), e))?;
    std::fs::rename(&tmp, path)
        .map_err(|e| KernelError::io(format!("cannot write {}", path.display()), e))
}

fn check_workdir(dir: &str) -> Result<()> {
    let p = Path::new(dir);
    if !p.is_absolute() {
        return Err(KernelError::Invalid(format!(
            "default_workdir must be an absolute path, got '{dir}'"
        )));
    }
    if !p.is_dir() {
        return Err(KernelError::Invalid(format!(
            "default_workdir must be an existing directory: {dir}"
        )));
    }
    Ok(())
}

impl Home {
    /// `default` always exists; another board exists once it has a database
    /// or a `board.json` (an empty directory does not count).
    pub fn board_exists(&self, slug: &str) -> bool {
        if slug == DEFAULT_BOARD {
            return true;
        }
        normalize_slug(slug).is_ok_and(|s| s == slug)
            && (self.meta_path(slug).is_file() || self.db_path(slug).is_file())
    }

    /// A board's metadata with defaults filled in; never fails on a missing or
    /// unreadable `board.json`.
    pub fn board_meta(&self, slug: &str) -> BoardMeta {
        let mut meta = std::fs::read_to_string(self.meta_path(slug))
            .ok()
            .and_then(|s| serde_json::from_str::<serde_json::Value>(&s).ok())
            .filter(|v| v.is_object())
            .and_then(|mut v| {
                v["slug"] = slug.into();
                if v.get("name")
                    .and_then(|n| n.as_str())
                    .is_none_or(|n| n.trim().is_empty())
                {
                    v["name"] = default_name(slug).into();
                }
                serde_json::from_value::<BoardMeta>(v).ok()
            })
            .unwrap_or_else(|| BoardMeta {
                slug: slug.to_string(),
                name: default_name(slug),
                description: String::new(),
                icon: String::new(),
                color: String::new(),
                default_workdir: None,
                created_at: None,
                archived: false,
                db_path: None,
            });
        meta.db_path = Some(self.db_path(slug).display().to_string());
        meta
    }

    fn write_meta(&self, meta: &BoardMeta) -> Result<()> {
        let mut stored = meta.clone();
        stored.db_path = None;
        let mut json = serde_json::to_string_pretty(&stored)
            .map_err(|e| KernelError::Invalid(e.to_string()))?;
        json.push('\n');
        write_atomic(&self.meta_path(&meta.slug), json.as_bytes())
    }

    fn apply(&self, meta: &mut BoardMeta, f: &BoardFields) -> Result<()> {
        if let Some(n) = &f.name {
            let n = n.trim();
            meta.name = if n.is_empty() {
                default_name(&meta.slug)
            } else {
                n.to_string()
            };
        }
        if let Some(d) = &f.description {
            meta.description = d.trim().to_string();
        }
        if let Some(i) = &f.icon {
            meta.icon = i.trim().chars().take(4).collect();
        }
        if let Some(c) = &f.color {
            meta.color = c.trim().to_string();
        }
        if let Some(w) = &f.default_workdir {
            let w = w.as_deref().map(str::trim).filter(|w| !w.is_empty());
            if let Some(dir) = w {
                check_workdir(dir)?;
            }
            meta.default_workdir = w.map(str::to_string);
        }
        Ok(())
    }

    /// Every board, `default` first, then by slug.
    pub fn list_boards(&self, include_archived: bool) -> Vec<BoardMeta> {
        let mut slugs: Vec<String> = std::fs::read_dir(self.boards_dir())
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .filter_map(|e| e.file_name().into_string().ok())
                    .filter(|s| s != DEFAULT_BOARD && self.board_exists(s))
                    .collect()
            })
            .unwrap_or_default();
        slugs.sort();
        std::iter::once(DEFAULT_BOARD.to_string())
            .chain(slugs)
            .map(|s| self.board_meta(&s))
            .filter(|m| include_archived || !m.archived)
            .collect()
    }

    /// Creates a board (its directory, `board.json` and database). Creating an
    /// existing board is not an error: the given fields are applied to it.
    pub fn create_board(&self, slug: &str, fields: &BoardFields) -> Result<BoardMeta> {
        let slug = normalize_slug(slug)?;
        let mut meta = self.board_meta(&slug);
        self.apply(&mut meta, fields)?;
        if meta.created_at.is_none() {
            meta.created_at = Some(system_now());
        }
        self.write_meta(&meta)?;
        Board::open_with(&self.db_path(&slug), &slug, *self.options())?;
        Ok(meta)
    }

    /// Changes a board's metadata (its slug never changes).
    pub fn update_board(&self, slug: &str, fields: &BoardFields) -> Result<BoardMeta> {
        let slug = normalize_slug(slug)?;
        if !self.board_exists(&slug) {
            return Err(KernelError::NotFound(format!(
                "board '{slug}' does not exist"
            )));
        }
        let mut meta = self.board_meta(&slug);
        self.apply(&mut meta, fields)?;
        self.write_meta(&meta)?;
        Ok(meta)
    }

    /// Points the home's `current` at an existing board.
    pub fn switch_board(&self, slug: &str) -> Result<String> {
        let slug = normalize_slug(slug)?;
        if !self.board_exists(&slug) {
            return Err(KernelError::NotFound(format!(
                "board '{slug}' does not exist"
            )));
        }
        self.ensure()?;
        write_atomic(&self.current_pointer(), format!("{slug}\n").as_bytes())?;
        Ok(slug)
    }

    /// Removes a board: by default moves it to `boards/_archived/<slug>-<time>`,
    /// with `delete` erases it. The default board cannot be removed; removing
    /// the current board makes `default` current.
    pub fn remove_board(&self, slug: &str, delete: bool) -> Result<RemovedBoard> {
        let slug = normalize_slug(slug)?;
        if slug == DEFAULT_BOARD {
            return Err(KernelError::Invalid(
                "the 'default' board cannot be removed".into(),
            ));
        }
        if !self.board_exists(&slug) {
            return Err(KernelError::NotFound(format!(
                "board '{slug}' does not exist"
            )));
        }
        let was_current = std::fs::read_to_string(self.current_pointer())
            .ok()
            .and_then(|s| s.lines().next().map(|l| l.trim().to_lowercase()))
            .is_some_and(|s| s == slug);
        if was_current {
            let _ = std::fs::remove_file(self.current_pointer());
        }
        let dir = self.board_dir(&slug);
        if delete {
            std::fs::remove_dir_all(&dir)
                .map_err(|e| KernelError::io(format!("cannot delete {}", dir.display()), e))?;
            return Ok(RemovedBoard {
                slug,
                action: "deleted".into(),
                new_path: String::new(),
            });
        }
        let archive = self.boards_dir().join("_archived");
        std::fs::create_dir_all(&archive)
            .map_err(|e| KernelError::io(format!("cannot create {}", archive.display()), e))?;
        let stamp = system_now();
        let mut target: PathBuf = archive.join(format!("{slug}-{stamp}"));
        let mut n = 1;
        while target.exists() {
            target = archive.join(format!("{slug}-{stamp}-{n}"));
            n += 1;
        }
        std::fs::rename(&dir, &target)
            .map_err(|e| KernelError::io(format!("cannot move {}", dir.display()), e))?;
        Ok(RemovedBoard {
            slug,
            action: "archived".into(),
            new_path: target.display().to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercased_and_checked() {
        assert_eq!(normalize_slug(" My-Board_2 ").unwrap(), "my-board_2");
        for bad in [
            "",
            "../x",
            "a b",
            "-x",
            "_archived",
            "a/b",
            "a.b",
            &"x".repeat(65),
        ] {
            assert!(normalize_slug(bad).is_err(), "{bad:?} should be refused");
        }
        assert!(normalize_slug(&"x".repeat(64)).is_ok());
    }

    #[test]
    fn default_names_are_title_cased() {
        assert_eq!(default_name("atm10-server"), "Atm10 Server");
        assert_eq!(default_name("a__b"), "A B");
    }
}
