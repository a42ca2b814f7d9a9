"""One module per provision. Each function's docstring names the provision it implements."""
