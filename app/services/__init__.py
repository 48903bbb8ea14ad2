"""Plain functions shared by the API and the pages; they never touch `request`."""
