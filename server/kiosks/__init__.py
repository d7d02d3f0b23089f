"""The one-stop-desk rating kiosk: desks, pairing a tablet to a desk, and residents' ratings."""
