"""People: users, roles with scope, students, guardians, groups, subgroups and movement."""
