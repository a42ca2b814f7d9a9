from flexcalc.cli import main

main()
