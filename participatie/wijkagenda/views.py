from participatie.wijkagenda import bp  # noqa: F401
