"""The explorer's domain: contours, the map's data and classes, search, filters."""
