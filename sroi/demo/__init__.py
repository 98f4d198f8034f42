"""The demo home: home.yaml describes it, model.py checks it, generator.py writes it."""
