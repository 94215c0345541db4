"""Operations: the `kizuna` command line, set-up, the process stack, serving one process, the demo shop and
the NLU tools. The roof of the house: nothing in the product imports it."""
