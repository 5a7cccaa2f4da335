"""What every route shares, built on auth and content: the request's dependencies (its
database session, the viewer, the CSRF check), the header menu and the back link."""
