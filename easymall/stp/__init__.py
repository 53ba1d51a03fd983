"""STP: segmentation (rules and clustering), segment profiles, targeting (GE–McKinsey nine-box) and
positioning (perceptual map and statements)."""
