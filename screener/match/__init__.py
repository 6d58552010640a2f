"""Finding things in text: goods (exact, part numbers, typos), HS codes, places, values, in columns."""
