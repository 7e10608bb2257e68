//! Stage 4, render: turns the model and its analysis into output files. One module per format.

pub mod json;
