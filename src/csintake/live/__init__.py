"""The live interview on a call: the loop, and the prompts behind one small interface."""
