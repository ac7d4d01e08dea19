"""The national population database (CSDL quốc gia về dân cư): look a person up by personal ID number,
full name and birth date (RULES.md §9.3), at the counter and for a signed-in citizen online."""
