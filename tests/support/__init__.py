"""Test support: fixtures that start real servers (redis, postgres, the app) and a browser."""
