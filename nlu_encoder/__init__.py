"""The sentence encoder the assistant's NLU reads messages with: all-MiniLM-L6-v2 as ONNX."""
