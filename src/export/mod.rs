//! Rendering what a round file holds for people and other programs.

pub mod json;
