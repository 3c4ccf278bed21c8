"""Bank authoring: coverage with witnesses, and the examples kept beside a bank run as tests."""
