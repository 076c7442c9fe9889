"""The behaviour of Collab: HTTP routes and socket handlers both call these."""
