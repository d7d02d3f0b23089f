"""The parts of the round report, each a function returning flowables."""
