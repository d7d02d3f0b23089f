"""Serves the volunteer PWA (pwa/) at /app/, with a service worker versioned by its assets."""
