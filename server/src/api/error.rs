//! Errors as HTTP responses (`{"detail": "…"}` with the status the error kind
//! calls for), and JSON/query extractors whose rejections look the same.

use crate::error::Error;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use kernel::{ErrorKind, KernelError};
use serde::de::DeserializeOwned;
use serde_json::json;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub detail: String,
}

impl ApiError {
    pub fn new(status: StatusCode, detail: impl Into<String>) -> Self {
        ApiError {
            status,
            detail: detail.into(),
        }
    }
    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, detail)
    }
    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, detail)
    }
    pub fn conflict(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, detail)
    }
}

impl ApiError {
    /// The response for a failure of `kind`; server-side failures are logged.
    pub fn of_kind(kind: ErrorKind, detail: String) -> Self {
        let status =
            StatusCode::from_u16(kind.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if status.is_server_error() {
            tracing::error!("{detail}");
        }
        ApiError::new(status, detail)
    }
}

impl From<KernelError> for ApiError {
    fn from(e: KernelError) -> Self {
        ApiError::of_kind(e.kind(), e.to_string())
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        ApiError::of_kind(e.kind(), e.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(json!({ "detail": self.detail }))).into_response()
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// A JSON body; anything unparseable or of the wrong shape is a 422.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(ApiJson(v)),
            Err(JsonRejection::MissingJsonContentType(r)) => Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                r.body_text(),
            )),
            Err(JsonRejection::BytesRejection(r)) => Err(ApiError::new(r.status(), r.body_text())),
            Err(r) => Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                r.body_text(),
            )),
        }
    }
}

/// Query parameters; a malformed one is a 422.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| ApiQuery(q.0))
            .map_err(|r: QueryRejection| {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, r.body_text())
            })
    }
}
