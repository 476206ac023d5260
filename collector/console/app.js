// The console is being written.
