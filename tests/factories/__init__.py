"""factory_boy factories, one module per area: accounts, networks, guidance, catalogue."""
