//! The Profiles page's server functions: the profiles in config.toml, the
//! doctor's verdict on each, adding (or replacing) and removing one.

use crate::error::AppError;
use kernel::agent::{AgentKind, OnExit, Permissions};
pub use kernel::agent::{Check, ProfileOut};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

/// A profile to add, or to put in place of the one of the same name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileForm {
    pub name: String,
    pub kind: AgentKind,
    pub model: Option<String>,
    pub max_concurrent: Option<u32>,
    pub permissions: Permissions,
    pub on_exit: OnExit,
    /// Replace a profile of the same name (an edit).
    pub replace: bool,
}

#[server(endpoint = "list_profiles", input = Json)]
pub async fn list_profiles() -> Result<Vec<ProfileOut>, AppError> {
    use crate::state::{app_state, blocking};
    let st = app_state()?;
    blocking(move || st.ops.profiles()).await
}

/// Starts each profile's CLI with `--version`: a second or two per agent.
#[server(endpoint = "check_profiles", input = Json)]
pub async fn check_profiles() -> Result<Vec<Check>, AppError> {
    use crate::state::{app_state, blocking};
    let st = app_state()?;
    blocking(move || st.ops.check_profiles()).await
}

#[server(endpoint = "save_profile", input = Json)]
pub async fn save_profile(form: ProfileForm) -> Result<ProfileOut, AppError> {
    use crate::state::{app_state, blocking};
    let st = app_state()?;
    blocking(move || st.ops.save_profile(form)).await
}

/// Ends a profile's pause now.
#[server(endpoint = "resume_profile", input = Json)]
pub async fn resume_profile(name: String) -> Result<(), AppError> {
    use crate::state::{app_state, blocking};
    let st = app_state()?;
    blocking(move || st.ops.resume_profile(&name)).await
}

#[server(endpoint = "delete_profile", input = Json)]
pub async fn delete_profile(name: String) -> Result<(), AppError> {
    use crate::state::{app_state, blocking};
    let st = app_state()?;
    blocking(move || st.ops.delete_profile(&name)).await
}
