"""The version of the rules, in a module of its own so any module can read it without importing the
package's ``__init__`` (which imports the month pipeline: that would be an import cycle)."""

RULE_VERSION = "2026.12.3"
"""Version of the rules. Bump it whenever a rule or a parameter value changes a result."""
