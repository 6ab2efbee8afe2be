// The composition root's entry point: everything is wired in kontor::app.
#include "kontor/app/cli.hpp"

int main(int argc, char** argv) { return kontor::app::run_cli(argc, argv); }
