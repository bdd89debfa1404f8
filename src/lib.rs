//! thncd: the community-reintegration (THNCĐ) case-management service.
//!
//! Layers, imports pointing down only: `api` (thin HTTP handlers) → `services` (use cases:
//! one transaction, the audit event) → `db` (one module per entity, jurisdiction in the SQL)
//! and `domain` (pure rules). `dto` holds the wire types beside `api`; `auth`, `http` and
//! `error` serve every layer. See docs/ARCHITECTURE.md.

pub mod api;
pub mod auth;
pub mod backup;
pub mod cli;
pub mod config;
#[macro_use]
pub mod db;
pub mod demo;
pub mod domain;
pub mod dto;
pub mod error;
pub mod export;
pub mod http;
pub mod import;
pub mod logging;
pub mod openapi;
pub mod services;
pub mod startup;
pub mod state;
pub mod text;
pub mod time;
pub mod webhook_target;
pub mod worker;
