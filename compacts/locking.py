"""Optimistic locking, the one way the portal writes it. A page sends back what it showed the person (the version
number of the row, or a signature of the rows), and the service that changes the thing locks it first
(select_for_update, in its transaction), then checks here that it still stands as shown: otherwise someone changed
it meanwhile, and nothing is saved. Pure Python, like compacts.exceptions."""


def check_version(seen, current, conflict):
    """Unless what the person saw (`seen`) is what the locked row or rows stand at now (`current`), raise the
    compacts.exceptions.Conflict that `conflict()` makes, saying in the page's words what changed. It is called only
    then, since saying what changed may read the database."""
    if seen != current:
        raise conflict()
