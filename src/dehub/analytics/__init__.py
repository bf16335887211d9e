"""Pure analytics over trade facts: DataFrames or arrays in, DataFrames or numbers out; no I/O."""
