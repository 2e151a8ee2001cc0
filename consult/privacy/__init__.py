"""A person's own data: erasing an account (by its owner, or by a coordinator on a written request) and
downloading everything the platform holds about them."""
