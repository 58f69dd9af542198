"""Analyses over the citywide graph: registered checks that return frozen findings."""
