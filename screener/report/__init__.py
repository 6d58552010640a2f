"""Renderings of results: text, JSON, SARIF, JUnit, GitHub annotations, the HTML report."""
