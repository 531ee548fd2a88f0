//! landcycle store
