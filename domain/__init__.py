"""The ground floor: the vocabulary every room shares (contracts, quarters, errors, Dutch
formatting, pseudonyms). Imports nothing of this project."""
