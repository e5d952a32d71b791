"""Statistical methods: staggered difference-in-differences, avoided costs (SROI), grid scores."""
