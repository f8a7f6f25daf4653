//! lanlab-app: the web app (Leptos, client-side rendered).
