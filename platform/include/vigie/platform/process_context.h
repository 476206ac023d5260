#pragma once

// What a program learns from the OS about how it was started and for whom: its arguments, its
// account, its login session, and the OS's request that it end. One implementation per OS.

#include <string>
#include <vector>

namespace vigie::platform {

// The arguments after the program name, in UTF-8 (on Windows read again from the wide command
// line: main()'s argv is in the ANSI code page there).
std::vector<std::string> programArguments(int argc, char** argv);

// Where --help, --status and messages go. On Windows the session sensor is a GUI program, so that
// it does not keep a console window open all session long (closing it would stop the sensor):
// there, standard output and error are the handles it was given, else the console of the
// program that started it, if any. Does nothing on POSIX.
void attachToParentConsole();

// The account the program runs as. `home` is where "~" points ($HOME, else the account's home
// directory on POSIX; %USERPROFILE% on Windows); `name` is the login name ("uid<n>" / "" when the
// OS gives none).
struct CurrentUser {
  std::string name;
  std::string home;
};
CurrentUser currentUser();

// The login session recorded on a session sensor's events: $XDG_SESSION_ID, else "x11" + the X
// display (`display`, else $DISPLAY) on Linux; "win:" + the Windows session id on Windows.
std::string defaultSessionId(const std::string& display);

// Calls `stop` when the OS asks the program to end: SIGTERM, SIGINT or SIGHUP on POSIX (where
// SIGPIPE is also ignored, so that a closed peer is an error, not the end); Ctrl-C, console
// close, logoff or shutdown on Windows. `stop` runs in a signal handler (POSIX) or on another
// thread (Windows): it must only do async-signal-safe, thread-safe work.
void callOnStopRequest(void (*stop)());

}  // namespace vigie::platform
