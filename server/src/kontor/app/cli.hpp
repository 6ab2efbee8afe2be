#pragma once
// The `kontor` command line (CLI11): serve, migrate, admin, demo, version.

namespace kontor::app {

// Parses argv, runs the subcommand, returns the process exit code.
int run_cli(int argc, char** argv);

}  // namespace kontor::app
