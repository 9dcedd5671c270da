"""The good-practice catalogue (Praxisbeispiele)."""
