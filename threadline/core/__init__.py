"""The ground floor: roles, the Action table and may(). Imports nothing of the domain."""
