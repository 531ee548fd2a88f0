//! landcycle server
