//! thncd: the community-reintegration (THNCĐ) case-management service.
//!
//! Layout: `api` (thin HTTP handlers) → `domain` (pure rules) and `db` (one module per
//! entity, jurisdiction in the SQL) → `dto` (wire types). See README.md.

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
