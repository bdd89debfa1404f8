//! `page` / `page_size` lists answering `{items, page, page_size, total}`.

use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{ApiError, InvalidParam};

pub const DEFAULT_PAGE_SIZE: i64 = 50;
pub const MAX_PAGE_SIZE: i64 = 200;

/// A page of results in a stable order.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T: ToSchema> {
    pub items: Vec<T>,
    /// 1-based page number.
    pub page: i64,
    pub page_size: i64,
    /// Number of matching records over all pages.
    pub total: i64,
}

#[derive(Debug, Clone, Copy)]
pub struct PageRequest {
    pub page: i64,
    pub page_size: i64,
}

impl PageRequest {
    /// Validates the optional query values (page ≥ 1, 1 ≤ page_size ≤ 200).
    pub fn new(page: Option<i64>, page_size: Option<i64>) -> Result<PageRequest, ApiError> {
        let page = page.unwrap_or(1);
        let page_size = page_size.unwrap_or(DEFAULT_PAGE_SIZE);
        let mut problems = Vec::new();
        if !(1..=1_000_000).contains(&page) {
            problems.push(InvalidParam::new("page", "must be between 1 and 1000000"));
        }
        if !(1..=MAX_PAGE_SIZE).contains(&page_size) {
            problems.push(InvalidParam::new("page_size", format!("must be between 1 and {MAX_PAGE_SIZE}")));
        }
        if problems.is_empty() {
            Ok(PageRequest { page, page_size })
        } else {
            Err(ApiError::Validation(problems))
        }
    }

    pub fn offset(&self) -> i64 {
        (self.page - 1) * self.page_size
    }

    pub fn wrap<T: ToSchema>(&self, items: Vec<T>, total: i64) -> Page<T> {
        Page { items, page: self.page, page_size: self.page_size, total }
    }
}
