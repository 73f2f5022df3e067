"""Place and route (stage 5): floorplan/, place/, resize/, cts/, route/ and the file formats they
hand off (formats/)."""
