"""The scaling benchmark's parts: settings, child-side tasks, child processes, tidy CSV, report."""
