"""Admin of the good-practice catalogue (imported by GuidanceConfig.ready)."""
