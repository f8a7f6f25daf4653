//! lanlab-app: the web app (Leptos, client-side rendered).
//!
//! It owns a [`lanlab_sim::Lab`] document and redraws from signals; it holds
//! no protocol logic.

pub mod activity;
pub mod app;
pub mod canvas;
pub mod chunks;
pub mod embed;
pub mod engine_link;
pub mod examples;
pub mod file_menu;
pub mod header;
pub mod i18n;
pub mod palette;
pub mod panels;
pub mod persist;
pub mod sheet;
pub mod sim_driver;
pub mod sim_view;
pub mod state;
pub mod storage;
pub mod viewport;

pub use app::App;
