"""Benchmarks (see README.md); a package so that a script and its test share bench.wrk_lua."""
