// ruvision-cli: the engine, headless. The commands and their options: CommandTable.cpp.
#include <cstdio>
#include <string>

#include "cli/Commands.h"
#include "cli/Options.h"

int main(int argc, char** argv) {
    using namespace rv::cli;
    if (argc < 2) {
        std::fputs(overall_usage().c_str(), stderr);
        return 2;
    }
    const std::string cmd = argv[1];
    if (cmd == "--help" || cmd == "-h") {
        std::fputs(overall_usage().c_str(), stdout);
        return 0;
    }
    if (cmd == "--version" || cmd == "version") {
        std::fputs(version_text().c_str(), stdout);
        return 0;
    }
    if (cmd == "help") {
        if (argc < 3) {
            std::fputs(overall_usage().c_str(), stdout);
            return 0;
        }
        const CommandSpec* spec = find_command(argv[2]);
        if (!spec) {
            std::fprintf(stderr, "ruvision-cli help: no command '%s' (see ruvision-cli --help)\n", printable(argv[2]).c_str());
            return 2;
        }
        std::fputs(command_usage(*spec).c_str(), stdout);
        return 0;
    }
    const CommandSpec* spec = find_command(cmd);
    if (!spec) {
        std::fprintf(stderr, "ruvision-cli: unknown command '%s' (see ruvision-cli --help)\n", printable(cmd).c_str());
        return 2;
    }
    Parsed parsed;
    const int status = parse(*spec, Args(argv + 2, argv + argc), parsed);
    if (status >= 0) return status;
    return spec->run(parsed);
}
