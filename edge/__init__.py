"""Copies of our pages kept at the edge (Varnish, Fastly, Cloudflare), purged by tag."""
