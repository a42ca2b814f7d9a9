"""One way in: typed values from what a person or a program types (``inputs``), identifiers
(``identifiers``) and the pydantic models at the edge (``model``)."""
