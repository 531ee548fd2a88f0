//! landcycle demo
